"""Uploaded photos: checked by content, size-limited, stripped of metadata, served safely.

Every upload goes through the report form, as Karl's phone sends it.
"""

import io
import struct
import zlib

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import translation
from PIL import Image, PngImagePlugin

from tests.reports.test_pages import PageTestCase, form_data
from trygg.reports.models import Report

GPS_IFD = 0x8825
# Storsjön, as degrees/minutes/seconds the way a phone writes them.
GPS = {1: "N", 2: (63.0, 10.0, 30.0), 3: "E", 4: (14.0, 38.0, 0.0)}
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    b'xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="63,10.5N"/>'
    b"</rdf:RDF></x:xmpmeta>"
)
SCRIPT = b"<script>alert(document.cookie)</script>"
PHP = b"<?php system($_GET['c']); ?>"


def jpeg_with_gps() -> bytes:
    """A phone-like JPEG: GPS in EXIF and in XMP, the camera model, and a comment."""
    exif = Image.Exif()
    exif[0x0110] = "Phone 15"  # camera model
    exif[GPS_IFD] = GPS
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "green").save(out, "JPEG", exif=exif, xmp=XMP, comment=SCRIPT)
    return out.getvalue()


def too_many_pixels() -> str:
    """The refusal in Swedish (a new message: English until the catalogue has it)."""
    with translation.override("sv"):
        return translation.gettext("The photo has too many pixels.")


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG that claims `width` × `height` pixels (its data is one empty row)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00"))
        + chunk(b"IEND", b"")
    )


class PhotoUploadTests(PageTestCase):
    def send(self, photo):
        return self.as_user(self.w.karl).post("/rapportera/", {**form_data(), "photo": photo})

    def assert_refused(self, photo, message):
        response = self.send(photo)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["form"].errors.get("photo"), [message])
        self.assertEqual(Report.objects.count(), 0)

    def stored(self) -> bytes:
        report = Report.objects.get()
        with report.photo.open("rb") as f:
            return f.read()

    def test_it_strips_exif_gps_xmp_and_comments_from_a_jpeg(self):
        original = jpeg_with_gps()
        self.assertEqual(Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)[1], "N")
        self.send(upload(original))
        data = self.stored()
        image = Image.open(io.BytesIO(data))
        self.assertEqual(image.format, "JPEG")
        self.assertEqual(dict(image.getexif()), {})
        self.assertEqual(image.getexif().get_ifd(GPS_IFD), {})
        self.assertNotIn("exif", image.info)
        self.assertNotIn("xmp", image.info)
        self.assertNotIn("comment", image.info)
        for marker in (b"Exif", b"GPS", b"Phone 15", b"xmpmeta", SCRIPT):
            self.assertNotIn(marker, data)

    def test_it_strips_text_chunks_and_exif_from_a_png(self):
        info = PngImagePlugin.PngInfo()
        info.add_text("Comment", SCRIPT.decode())
        exif = Image.Exif()
        exif[GPS_IFD] = GPS
        out = io.BytesIO()
        Image.new("RGB", (16, 16), "red").save(out, "PNG", pnginfo=info, exif=exif)
        self.send(upload(out.getvalue(), "photo.png", "image/png"))
        data = self.stored()
        self.assertEqual(Image.open(io.BytesIO(data)).info, {})
        self.assertNotIn(SCRIPT, data)
        self.assertNotIn(b"eXIf", data)

    def test_it_names_the_stored_file_by_its_content_not_by_the_upload(self):
        out = io.BytesIO()
        Image.new("RGB", (8, 8), "red").save(out, format="PNG")
        self.send(upload(out.getvalue(), "photo.jpg.php", "application/x-php"))
        name = Report.objects.get().photo.name
        self.assertRegex(name, r"^photos/\d{4}/\d{2}/[0-9a-f]{32}\.png$")

    def test_it_refuses_php_html_and_svg_named_jpg(self):
        svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>x</script></svg>'
        for body in (PHP, b"<!doctype html><html>" + SCRIPT + b"</html>", svg):
            with self.subTest(body=body[:20]):
                self.assert_refused(upload(body), "Endast foton i JPEG, PNG eller WebP.")

    def test_it_refuses_a_gif_even_when_it_says_it_is_a_jpeg(self):
        out = io.BytesIO()
        Image.new("RGB", (8, 8), "red").save(out, format="GIF")
        self.assert_refused(upload(out.getvalue()), "Endast foton i JPEG, PNG eller WebP.")

    def test_it_re_encodes_a_polyglot_so_nothing_appended_survives(self):
        self.send(upload(jpeg_with_gps() + PHP + SCRIPT))
        data = self.stored()
        self.assertTrue(data.startswith(b"\xff\xd8"))
        self.assertTrue(data.endswith(b"\xff\xd9"))
        self.assertNotIn(b"<?php", data)
        self.assertNotIn(SCRIPT, data)

    def test_it_refuses_a_truncated_image(self):
        self.assert_refused(upload(jpeg_with_gps()[:400]), "Ingen läsbar bild.")

    @override_settings(PHOTO_MAX_BYTES=1000)
    def test_it_refuses_a_photo_over_the_size_limit(self):
        big = io.BytesIO()
        Image.effect_noise((64, 64), 100).convert("RGB").save(big, "PNG")
        self.assertGreater(len(big.getvalue()), settings.PHOTO_MAX_BYTES)
        self.assert_refused(upload(big.getvalue(), "big.png", "image/png"), "Fotot är för stort.")

    def test_it_refuses_a_decompression_bomb_by_its_pixel_count(self):
        # 50 megapixels in a file of under 100 bytes: above our limit, below Pillow's own.
        bomb = png_header_only(10_000, 5_000)
        self.assertLess(len(bomb), 100)
        self.assert_refused(upload(bomb, "bomb.png", "image/png"), too_many_pixels())

    def test_it_refuses_a_bomb_beyond_pillows_own_limit(self):
        bomb = png_header_only(40_000, 40_000)
        self.assert_refused(upload(bomb, "bomb.png", "image/png"), too_many_pixels())


class PhotoServingTests(PageTestCase):
    def setUp(self):
        self.as_user(self.w.karl).post(
            "/rapportera/", {**form_data(), "photo": upload(jpeg_with_gps())}
        )
        self.report = Report.objects.get()

    def fetch(self, user):
        return self.as_user(user).get(f"/rapporter/{self.report.pk}/foto/")

    def test_it_serves_the_photo_as_an_inert_jpeg(self):
        response = self.fetch(self.w.karl)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "image/jpeg")
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response["Content-Disposition"], "inline")
        self.assertEqual(response["Content-Security-Policy"], "default-src 'none'; sandbox")
        self.assertTrue(response["Cache-Control"].startswith("private"))
        self.assertTrue(b"".join(response.streaming_content).startswith(b"\xff\xd8"))

    def test_it_is_a_404_for_everyone_who_may_not_see_the_details(self):
        self.assertEqual(self.fetch(self.w.anna).status_code, 200)
        for user in (self.w.sara, self.w.kim, self.w.nils, self.w.otto, self.w.erik):
            self.assertEqual(self.fetch(user).status_code, 404, user.username)

    def test_it_is_never_served_from_the_media_url(self):
        direct = f"/{settings.MEDIA_URL}{self.report.photo.name}"
        self.assertEqual(self.as_user(self.w.anna).get(direct).status_code, 404)
        self.client.logout()
        self.assertEqual(self.client.get(direct).status_code, 404)
