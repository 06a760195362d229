// The staff header folds behind a "Menu" button on a phone. Without JavaScript the menu
// simply stays open; on a wide screen the button is hidden by the style sheet.
document.addEventListener("DOMContentLoaded", function () {
  var button = document.querySelector(".nav-toggle[aria-controls]");
  if (!button) return;
  var header = button.closest(".site-header");
  header.classList.add("menu-folds");
  button.hidden = false;
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
});
