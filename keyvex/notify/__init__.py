"""Email notifications: new-lead messages for creators and result emails for visitors."""

from keyvex.notify.leads import notify_new_lead
from keyvex.notify.mailer import email_enabled, send_mail
from keyvex.notify.prefs import get_prefs, set_prefs

__all__ = ["email_enabled", "get_prefs", "notify_new_lead", "send_mail", "set_prefs"]
