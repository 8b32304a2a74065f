"""The certificate as a PDF (reportlab): holder, course, date and where to verify it."""

from io import BytesIO

from django.utils import timezone
from django.utils.dateformat import format as date_format
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

GOVUK_BLUE = colors.HexColor("#1d70b8")
TEXT = colors.HexColor("#0b0c0c")


def certificate_pdf(*, certificate, verify_url: str) -> bytes:
    """Render one certificate on a landscape A4 page."""
    buffer = BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(f"Certificate: {certificate.course_title}")
    pdf.setAuthor("Public School of Technology")
    pdf.setSubject(f"Certificate of completion for {certificate.holder_name}")
    pdf.setFillColor(GOVUK_BLUE)
    pdf.rect(0, height - 30 * mm, width, 30 * mm, stroke=0, fill=1)
    pdf.setFillColor(colors.white)
    pdf.setFont("Helvetica-Bold", 20)
    pdf.drawString(20 * mm, height - 19 * mm, "Public School of Technology")
    pdf.setFillColor(TEXT)
    pdf.setFont("Helvetica", 16)
    pdf.drawCentredString(width / 2, height - 60 * mm, "This certifies that")
    pdf.setFont("Helvetica-Bold", 30)
    pdf.drawCentredString(width / 2, height - 78 * mm, certificate.holder_name)
    pdf.setFont("Helvetica", 16)
    pdf.drawCentredString(width / 2, height - 96 * mm, "has completed the short course")
    pdf.setFont("Helvetica-Bold", 24)
    pdf.drawCentredString(width / 2, height - 114 * mm, certificate.course_title)
    issued = timezone.localtime(certificate.issued_at)
    pdf.setFont("Helvetica", 14)
    pdf.drawCentredString(width / 2, height - 132 * mm, f"on {date_format(issued, 'j F Y')}")
    pdf.setFont("Helvetica", 11)
    pdf.drawString(20 * mm, 25 * mm, "Check that this certificate is genuine at:")
    pdf.setFillColor(GOVUK_BLUE)
    pdf.drawString(20 * mm, 19 * mm, verify_url)
    pdf.linkURL(verify_url, (20 * mm, 17 * mm, width - 20 * mm, 24 * mm), relative=0)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
