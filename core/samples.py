"""Real files of every kind Stemme accepts, made the way phones and office programs write them —
with a place, an author and a device set — for the tests and the bench of core.uploads. Nothing
here runs in the product."""

import io
import os
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pikepdf
from PIL import Image
from pillow_heif import from_pillow

from core.uploads import FFMPEG

# The hidden data every sample carries, and the tests look for afterwards.
AUTHOR = "Anne Holm, Solvej 12"
DEVICE = "iPhone 15 Pro"
LOCATION = "+55.6415+012.0803/"
LATITUDE, LONGITUDE = 55.6415, 12.0803


def _exif(image: Image.Image) -> bytes:
    exif = image.getexif()
    exif[0x010F] = "Apple"  # Make
    exif[0x0110] = DEVICE  # Model
    exif[0x013B] = AUTHOR  # Artist
    exif[0x8298] = AUTHOR  # Copyright
    exif[0x0131] = "17.4"  # Software
    exif[0x0112] = 6  # Orientation: turned, as phones hold them
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (55.0, 38.0, 29.4)
    gps[3], gps[4] = "E", (12.0, 4.0, 48.9)
    return exif.tobytes()


def _noise(width: int, height: int) -> Image.Image:
    """A photo-like picture that does not compress to nothing."""
    return Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))


def _picture(width: int, height: int, noisy: bool) -> Image.Image:
    if noisy:
        return _noise(width, height)
    return Image.linear_gradient("L").resize((width, height)).convert("RGB")


def photo(image_format="JPEG", width=64, height=48, noisy=False) -> bytes:
    """A phone photo with GPS position, maker, model and artist in its EXIF (and, for PNG, in
    a text chunk)."""
    image = _picture(width, height, noisy)
    buffer = io.BytesIO()
    if image_format == "HEIF":
        heif = from_pillow(image)
        heif.info["exif"] = b"Exif\x00\x00" + _exif(image)
        heif.save(buffer, quality=80)
    elif image_format == "PNG":
        from PIL.PngImagePlugin import PngInfo

        text = PngInfo()
        text.add_text("Author", AUTHOR)
        text.add_text("Location", LOCATION)
        image.save(buffer, format="PNG", pnginfo=text, exif=_exif(image))
    else:
        image.save(buffer, format=image_format, exif=_exif(image), quality=90)
    return buffer.getvalue()


WORD_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Default Extension="jpeg" ContentType="image/jpeg"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.comments+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.'
    'core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.extended-properties+xml"/>'
    '<Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.custom-properties+xml"/>'
    "</Types>"
)
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WORD_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{R}/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
    'metadata/core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{R}/extended-properties" Target="docProps/app.xml"/>'
    f'<Relationship Id="rId4" Type="{R}/custom-properties" Target="docProps/custom.xml"/>'
    "</Relationships>"
)
W = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml" '
    f'xmlns:r="{R}" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"'
)


def _word_picture(number: int) -> str:
    return (
        f'<w:p><w:r><w:drawing><wp:inline><wp:extent cx="1828800" cy="1371600"/>'
        f'<wp:docPr id="{number}" name="Billede {number}"/><a:graphic><a:graphicData '
        'uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr>'
        f'<pic:cNvPr id="{number}" name="image{number}.jpeg"/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip r:embed="rIdImg{number}"/></pic:blipFill><pic:spPr/></pic:pic>'
        "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
    )


def word_document(photos=1, photo_width=64, photo_height=48, noisy=False) -> bytes:
    """A Word document as Word writes it: the author in its properties, a comment and a
    tracked change by that author, a template in her home folder, and phone photos with GPS."""
    pictures = [photo("JPEG", photo_width, photo_height, noisy) for _ in range(photos)]
    body = (
        f'<w:p w:rsidR="00A1B2C3"><w:r><w:t>Sommerferie hos os.</w:t></w:r>'
        f'<w:commentRangeStart w:id="0"/><w:ins w:id="1" w:author="{AUTHOR}" '
        'w:date="2026-06-01T10:00:00Z"><w:r><w:t>Vi badede.</w:t></w:r></w:ins>'
        '<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r></w:p>'
        + "".join(_word_picture(number) for number in range(1, photos + 1))
    )
    document_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rIdC" Type="{R}/comments" Target="comments.xml"/>'
        f'<Relationship Id="rIdS" Type="{R}/settings" Target="settings.xml"/>'
        + "".join(
            f'<Relationship Id="rIdImg{n}" Type="{R}/image" Target="media/image{n}.jpeg"/>'
            for n in range(1, photos + 1)
        )
        + "</Relationships>"
    )
    parts = {
        "[Content_Types].xml": WORD_TYPES,
        "_rels/.rels": WORD_ROOT_RELS,
        "word/document.xml": f'<?xml version="1.0"?><w:document {W}><w:body>{body}</w:body>'
        "</w:document>",
        "word/_rels/document.xml.rels": document_rels,
        "word/comments.xml": f'<?xml version="1.0"?><w:comments {W}><w:comment w:id="0" '
        f'w:author="{AUTHOR}" w:initials="AH" w:date="2026-06-01T10:00:00Z"><w:p><w:r>'
        "<w:t>Husk billedet</w:t></w:r></w:p></w:comment></w:comments>",
        "word/people.xml": f'<?xml version="1.0"?><w15:people {W}><w15:person '
        f'w15:author="{AUTHOR}"><w15:presenceInfo w15:providerId="AD" '
        'w15:userId="S::anne.holm@example.dk::1234"/></w15:person></w15:people>',
        "word/settings.xml": f'<?xml version="1.0"?><w:settings {W}><w:attachedTemplate '
        'r:id="rIdT"/><w:rsids><w:rsidRoot w:val="00A1B2C3"/></w:rsids></w:settings>',
        "word/_rels/settings.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://'
        'schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdT" '
        f'Type="{R}/attachedTemplate" Target="file:///C:/Users/Anne%20Holm/Skabeloner/'
        'Normal.dotm" TargetMode="External"/></Relationships>',
        "docProps/core.xml": '<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://'
        'schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://'
        'purl.org/dc/elements/1.1/"><dc:title>Sommer</dc:title>'
        f"<dc:creator>{AUTHOR}</dc:creator><cp:lastModifiedBy>{AUTHOR}</cp:lastModifiedBy>"
        "<dc:description>Skrevet i plejefamiliens hjem</dc:description><cp:revision>7"
        "</cp:revision></cp:coreProperties>",
        "docProps/app.xml": '<?xml version="1.0"?><Properties xmlns="http://schemas.'
        'openxmlformats.org/officeDocument/2006/extended-properties"><Template>Normal.dotm'
        "</Template><TotalTime>42</TotalTime><Company>Familien Holm, Solvej 12</Company>"
        f"<Application>Microsoft Office Word</Application><Manager>{AUTHOR}</Manager>"
        "</Properties>",
        "docProps/custom.xml": '<?xml version="1.0"?><Properties xmlns="http://schemas.'
        'openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.'
        'openxmlformats.org/officeDocument/2006/docPropsVTypes"><property fmtid="{D5CDD505-'
        f'2E9C-101B-9397-08002B2CF9AE}}" pid="2" name="Adresse"><vt:lpwstr>{AUTHOR}</vt:lpwstr>'
        "</property></Properties>",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
        for number, picture in enumerate(pictures, start=1):
            archive.writestr(f"word/media/image{number}.jpeg", picture, zipfile.ZIP_STORED)
    return buffer.getvalue()


def open_document() -> bytes:
    """An OpenDocument text as LibreOffice writes it: the author in meta.xml, a comment and a
    tracked change by her, the printer she set it up for, and a phone photo with GPS."""
    office = 'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    namespaces = (
        f"{office} "
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
        'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
        'xmlns:xlink="http://www.w3.org/1999/xlink" '
        'xmlns:config="urn:oasis:names:tc:opendocument:xmlns:config:1.0"'
    )
    change = (
        '<text:tracked-changes><text:changed-region text:id="c1"><text:insertion>'
        f"<office:change-info><dc:creator>{AUTHOR}</dc:creator><dc:date>2026-06-01T10:00:00"
        "</dc:date></office:change-info></text:insertion></text:changed-region>"
        "</text:tracked-changes>"
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {namespaces} '
        f'office:version="1.2"><office:body><office:text>{change}<text:p>Sommerferie hos os.'
        f"<office:annotation><dc:creator>{AUTHOR}</dc:creator><dc:date>2026-06-01T10:00:00"
        "</dc:date><meta:creator-initials>AH</meta:creator-initials><text:p>Husk billedet"
        "</text:p></office:annotation></text:p><text:p><draw:frame><draw:image xlink:href="
        '"Pictures/foto.jpg"/></draw:frame></text:p></office:text></office:body>'
        "</office:document-content>"
    )
    meta = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta {namespaces} '
        f'office:version="1.2"><office:meta><meta:initial-creator>{AUTHOR}</meta:initial-creator>'
        f"<dc:creator>{AUTHOR}</dc:creator><meta:generator>LibreOffice/24.2</meta:generator>"
        "<meta:editing-cycles>7</meta:editing-cycles><meta:template xlink:href="
        '"file:///home/anne/Skabeloner/brev.ott"/></office:meta></office:document-meta>'
    )
    settings = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-settings {namespaces}>'
        '<office:settings><config:config-item-set config:name="ooo:configuration-settings">'
        '<config:config-item config:name="PrinterName" config:type="string">HP i stuen hos Holm'
        "</config:config-item></config:config-item-set></office:settings>"
        "</office:document-settings>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:'
        'names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry '
        'manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
        archive.writestr("meta.xml", meta)
        archive.writestr("settings.xml", settings)
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("Pictures/foto.jpg", photo("JPEG"))
    return buffer.getvalue()


def pdf_document() -> bytes:
    """A PDF with the author in its document information and XMP, a comment by her, and a phone
    photo embedded unchanged (its EXIF GPS and all)."""
    picture = photo("JPEG")
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    page = pdf.pages[0]
    image = pikepdf.Stream(pdf, picture)
    image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    image.Width, image.Height, image.BitsPerComponent = 64, 48, 8
    image.ColorSpace, image.Filter = pikepdf.Name.DeviceRGB, pikepdf.Name.DCTDecode
    page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
    page.Contents = pdf.make_stream(b"q 128 0 0 96 36 52 cm /Im0 Do Q")
    page.Annots = pdf.make_indirect(
        pikepdf.Array(
            [
                pikepdf.Dictionary(
                    Type=pikepdf.Name.Annot,
                    Subtype=pikepdf.Name.Text,
                    Rect=[10, 10, 30, 30],
                    T=AUTHOR,
                    Contents="Husk billedet",
                )
            ]
        )
    )
    pdf.docinfo["/Author"] = AUTHOR
    pdf.docinfo["/Creator"] = DEVICE
    pdf.docinfo["/Title"] = "Sommer"
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:creator"] = [AUTHOR]
        meta["xmp:CreatorTool"] = DEVICE
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


# ffmpeg's encoders and the tags phones write, per sample (named by its extension).
MEDIA = {
    "mp4": ("video", ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac"], "mp4"),
    "mov": ("video", ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac"], "mov"),
    # The iPhone camera's own: HEVC in QuickTime, tagged hvc1.
    "hevc": (
        "video",
        ["-c:v", "libx265", "-tag:v", "hvc1", "-x265-params", "log-level=error", "-c:a", "aac"],
        "mov",
    ),
    "webm": ("video", ["-c:v", "libvpx", "-c:a", "libopus"], "webm"),
    "mkv": ("video", ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "libopus"], "matroska"),
    "m4a": ("audio", ["-c:a", "aac"], "ipod"),
    "mp3": ("audio", ["-c:a", "libmp3lame"], "mp3"),
    "ogg": ("audio", ["-c:a", "libvorbis"], "ogg"),
    "opus": ("audio", ["-c:a", "libopus"], "ogg"),
    "wav": ("audio", ["-c:a", "pcm_s16le"], "wav"),
}


def media(extension: str, seconds: float = 2.0, size="64x48", bitrate=None, out=None) -> bytes:
    """A real video or sound file, made by ffmpeg, with the place, the author and the phone in
    its global and stream tags (Apple's keys for MP4/MOV). With a bitrate the picture is noise,
    so the file reaches its size; with `out` it is written there (the bench's large files)."""
    kind, codecs, muxer = MEDIA[extension]
    inputs = ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}"]
    if kind == "video":
        inputs = ["-f", "lavfi", "-i", f"testsrc2=size={size}:rate=25:duration={seconds}", *inputs]
    tags = [
        "-metadata",
        f"location={LOCATION}",
        "-metadata",
        f"location-eng={LOCATION}",
        "-metadata",
        f"artist={AUTHOR}",
        "-metadata",
        f"comment={AUTHOR}",
        "-metadata",
        "make=Apple",
        "-metadata",
        f"model={DEVICE}",
        "-metadata:s:a:0",
        f"handler_name={DEVICE}",
        "-metadata:s:a:0",
        f"title={AUTHOR}",
    ]
    if muxer in ("mp4", "mov", "ipod"):
        tags += ["-movflags", "+use_metadata_tags"]
    if bitrate:
        codecs = [*codecs, "-vf", "noise=alls=60:allf=t", "-b:v", bitrate, "-preset", "ultrafast"]
    with tempfile.TemporaryDirectory() as folder:
        target = Path(out or Path(folder) / f"sample.{extension}")
        command = [FFMPEG, "-v", "error", "-nostdin", "-y", *inputs, *codecs, *tags]
        subprocess.run([*command, "-f", muxer, target], check=True, timeout=1800)  # noqa: S603
        return b"" if out else target.read_bytes()
