"""A certificate as a one-page PDF (fpdf2), with a QR code of its public verify link."""

from __future__ import annotations

import io

import qrcode
from django.utils import timezone
from fpdf import FPDF

from .models import Certificate


def _date(moment) -> str:
    return timezone.localtime(moment).strftime("%d %B %Y")


def certificate_pdf_bytes(certificate: Certificate, verify_url: str) -> bytes:
    """Name, programme, issue and expiry dates, status, and the verify link as text and QR."""
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_title(f"{certificate.programme.name}: {certificate.user.get_full_name()}")
    pdf.set_author("Tierwise")
    pdf.add_page()
    pdf.set_draw_color(20, 54, 90)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, 277, 190)

    pdf.set_y(28)
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 10, "TIERWISE", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 16)
    pdf.cell(0, 12, "Certificate of completion", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("Helvetica", "B", 28)
    name = certificate.user.get_full_name() or certificate.user.username
    pdf.cell(0, 16, _latin1(name), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 14)
    pdf.cell(0, 10, "has met every requirement of", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 20)
    pdf.cell(0, 14, _latin1(certificate.programme.name), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Helvetica", "", 12)
    pdf.cell(
        0,
        8,
        f"Issued {_date(certificate.issued_at)}  -  valid until {_date(certificate.expires_at)}",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.cell(
        0, 8, f"Status: {certificate.status_label()}", align="C", new_x="LMARGIN", new_y="NEXT"
    )

    image = qrcode.make(verify_url, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    pdf.image(buffer, x=230, y=145, w=45, h=45)
    pdf.set_xy(20, 170)
    pdf.set_font("Helvetica", "", 9)
    pdf.multi_cell(200, 5, f"Verify this certificate: {verify_url}")
    return bytes(pdf.output())


def _latin1(text: str) -> str:
    """The core PDF fonts carry Latin-1; other characters are replaced, not dropped."""
    return text.encode("latin-1", "replace").decode("latin-1")
