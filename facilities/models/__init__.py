"""Facilities' models, split by sub-domain (one module each); import them from here: `from facilities.models import Space`."""

from __future__ import annotations

from .equipment import (
    Certification,
    Equipment,
    EquipmentKind,
    EquipmentStatus,
    MaintenanceKind,
    MaintenanceLog,
    Resource,
)
from .hours import Closure, OpeningHours, OpeningHoursException, Weekday
from .inventory import InventoryItem, InventoryLoan, ItemCondition
from .rates import CategoryDiscount, DiscountCategory, DiscountRule, PriceUnit, RateRule, RateTable, RateTableVersion
from .spaces import BookingRules, Space, SpaceKind, SpacePhoto, space_photo_path

__all__ = [
    "BookingRules",
    "CategoryDiscount",
    "Certification",
    "Closure",
    "DiscountCategory",
    "DiscountRule",
    "Equipment",
    "EquipmentKind",
    "EquipmentStatus",
    "InventoryItem",
    "InventoryLoan",
    "ItemCondition",
    "MaintenanceKind",
    "MaintenanceLog",
    "OpeningHours",
    "OpeningHoursException",
    "PriceUnit",
    "RateRule",
    "RateTable",
    "RateTableVersion",
    "Resource",
    "Space",
    "SpaceKind",
    "SpacePhoto",
    "Weekday",
    "space_photo_path",
]
