"""PDF documents (the plan, decisions) rendered with WeasyPrint in the municipality's layout."""

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import CSS, HTML


def render_pdf(template_name: str, context: dict) -> bytes:
    html = render_to_string(template_name, context)
    stylesheet = CSS(filename=finders.find("css/pdf.css"))
    return HTML(string=html).write_pdf(stylesheets=[stylesheet])
