"""The first page after sign-in: the figures of the user's own region."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from yigou.assist import selectors as assist_selectors
from yigou.regions import selectors as region_selectors
from yigou.registry import selectors as registry_selectors
from yigou.registry.enums import HouseholdStatus


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    counts = registry_selectors.household_counts(user)
    by_status = [(s.value, s.label, counts[s.value]) for s in HouseholdStatus]
    context = {
        "region": region_selectors.home_region(user),
        "villages": region_selectors.village_counts(user),
        "household_total": counts["total"],
        "by_status": by_status,
        "monitored": counts["monitored"],
        "producer_count": registry_selectors.producers(user).count(),
        "unit_count": assist_selectors.units(user).count(),
    }
    return render(request, "www/home.html", context)
