"""Market models: outlets and activities, certified products, pre-sale lists, orders."""

from .orders import AfterSale, Order, OrderEvent, OrderLine
from .outlets import Activity, Outlet
from .presale import PreSaleItem, PreSaleList
from .products import (
    Blacklisting,
    Objection,
    Product,
    ProductFile,
    ProductHousehold,
    ProductStep,
    ReferencePrice,
)

__all__ = [
    "Activity",
    "AfterSale",
    "Blacklisting",
    "Objection",
    "Order",
    "OrderEvent",
    "OrderLine",
    "Outlet",
    "PreSaleItem",
    "PreSaleList",
    "Product",
    "ProductFile",
    "ProductHousehold",
    "ProductStep",
    "ReferencePrice",
]
