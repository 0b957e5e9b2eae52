"""Alerts for operators: rules with thresholds over AI cost and quality, data sources and
jobs, evaluated by the cluster's scheduled work; an alert opens once, notifies the
administrators (and a signed webhook), can be acknowledged and resolves itself."""

from keyvex.alerts.models import KINDS, Alert, AlertState, Rule, RuleKind
from keyvex.alerts.service import (
    EVALUATE_SECONDS,
    acknowledge,
    evaluate,
    list_alerts,
    list_rules,
    save_rule,
)

__all__ = [
    "EVALUATE_SECONDS",
    "KINDS",
    "Alert",
    "AlertState",
    "Rule",
    "RuleKind",
    "acknowledge",
    "evaluate",
    "list_alerts",
    "list_rules",
    "save_rule",
]
