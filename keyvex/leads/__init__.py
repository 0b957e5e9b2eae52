"""Leads: visitor submissions scored by the server, stored once, listed and exported as CSV."""

from keyvex.leads._antispam import MIN_FILL_MS, LeadRejected
from keyvex.leads._csv import LeadCsvExport, iter_leads_csv, neutralise
from keyvex.leads.models import Lead, LeadPage, LeadSubmission, RequestMeta
from keyvex.leads.service import list_leads, submit_lead

__all__ = [
    "MIN_FILL_MS",
    "Lead",
    "LeadCsvExport",
    "LeadPage",
    "LeadRejected",
    "LeadSubmission",
    "RequestMeta",
    "iter_leads_csv",
    "list_leads",
    "neutralise",
    "submit_lead",
]
