"""Contracts, pre-orders and buy-back."""

from .buyback import BuyBack, BuyBackDelivery, BuyBackHousehold, BuyBackVillage
from .contracts import Contract, ContractDraw, ContractItem, ContractParty, DeliverySchedule
from .preorders import PreOrder, PreOrderDraw

__all__ = [
    "BuyBack",
    "BuyBackDelivery",
    "BuyBackHousehold",
    "BuyBackVillage",
    "Contract",
    "ContractDraw",
    "ContractItem",
    "ContractParty",
    "DeliverySchedule",
    "PreOrder",
    "PreOrderDraw",
]
