"""Yigou (以购助扶): registry, market, ledger and supervision of consumption-based poverty alleviation."""
