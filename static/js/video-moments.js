// Practice videos: jump to a comment's moment, and take the player's current moment for a new
// comment. Without JavaScript the moments are plain text and the moment is typed as m:ss.
document.addEventListener("DOMContentLoaded", function () {
  var video = document.querySelector("video[data-practice-video]");
  if (!video) return;
  var format = function (seconds) {
    var whole = Math.floor(seconds);
    var rest = whole % 60;
    return Math.floor(whole / 60) + ":" + (rest < 10 ? "0" : "") + rest;
  };
  document.querySelectorAll("[data-jump-to]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      video.currentTime = Number(button.getAttribute("data-jump-to"));
      video.focus();
    });
  });
  var field = document.querySelector("[data-video-moment]");
  var take = document.querySelector("[data-take-moment]");
  if (field && take) {
    take.hidden = false;
    take.addEventListener("click", function () {
      field.value = format(video.currentTime);
    });
    video.addEventListener("pause", function () {
      field.value = format(video.currentTime);
    });
  }
});
