"""Files of a child's record (drawings, photos, PDFs) leave Stemme one way: logged in the access
log, never cached by browsers or proxies, with their type read from the stored name."""

import mimetypes

from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header

from audit.services import access_record


def private_download(
    request, *, child, record: str, action: str, content, name: str, as_attachment=False
) -> HttpResponse:
    """Answer with `content` (an open stored file, streamed; or bytes made in memory) after
    writing the access log."""
    access_record(user=request.user, action=action, child=child, record=record, path=request.path)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if isinstance(content, bytes):
        response = HttpResponse(content, content_type=content_type)
        if as_attachment:
            response["Content-Disposition"] = content_disposition_header(True, name)
    else:
        response = FileResponse(
            content, content_type=content_type, as_attachment=as_attachment, filename=name
        )
    response["Cache-Control"] = "private, no-store"
    return response
