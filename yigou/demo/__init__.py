"""Deterministic demo data: one real city (遂宁市, 2018 divisions) with generated townships, villages and people."""
