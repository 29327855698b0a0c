"""Bulk import of purchases: parse and check every row, then write everything at once or nothing."""
