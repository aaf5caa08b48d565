"""Checks: the rule engine over one table and the whole-report checks over the document model."""
