"""Leads: visitor submissions scored by the server, stored once, listed and exported as CSV."""

from keyvex.leads._antispam import MIN_FILL_MS, LeadRejected
from keyvex.leads._csv import LeadCsvExport, iter_leads_csv, neutralise
from keyvex.leads._csv_all import iter_all_leads_csv
from keyvex.leads._readable import LeadView, Row, readable_lead, words
from keyvex.leads._search import (
    MAX_EXAMINED,
    PAGE_SIZE,
    TIME_PATTERN,
    FilteredLeads,
    LeadFilter,
    filtered_leads,
    parse_day,
)
from keyvex.leads.models import Lead, LeadPage, LeadSubmission, RequestMeta
from keyvex.leads.service import list_leads, submit_lead

__all__ = [
    "MAX_EXAMINED",
    "MIN_FILL_MS",
    "PAGE_SIZE",
    "TIME_PATTERN",
    "FilteredLeads",
    "LeadFilter",
    "Lead",
    "LeadCsvExport",
    "LeadPage",
    "LeadRejected",
    "LeadSubmission",
    "LeadView",
    "RequestMeta",
    "Row",
    "filtered_leads",
    "iter_all_leads_csv",
    "iter_leads_csv",
    "list_leads",
    "neutralise",
    "parse_day",
    "readable_lead",
    "submit_lead",
    "words",
]
