"""Email notifications: new-lead messages and daily digests for creators, result emails (with
optional double opt-in) for visitors, and creators' own SMTP servers."""

from keyvex.notify.digest import DIGEST_HOUR_UTC, next_digest_at, send_due_digests
from keyvex.notify.leads import lead_emails_wanted, notify_new_lead
from keyvex.notify.mailer import SmtpServer, email_enabled, send_mail
from keyvex.notify.prefs import get_prefs, set_prefs
from keyvex.notify.smtp import CreatorSmtp, delete_smtp, get_smtp, save_smtp, send_test
from keyvex.notify.visitor import confirm_and_send, confirmation_state

__all__ = [
    "DIGEST_HOUR_UTC",
    "CreatorSmtp",
    "SmtpServer",
    "confirm_and_send",
    "confirmation_state",
    "delete_smtp",
    "email_enabled",
    "get_prefs",
    "get_smtp",
    "lead_emails_wanted",
    "next_digest_at",
    "notify_new_lead",
    "save_smtp",
    "send_due_digests",
    "send_mail",
    "send_test",
    "set_prefs",
]
