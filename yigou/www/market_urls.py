"""Pre-sale lists and orders (views/market_presale.py, views/market_orders.py), in the www namespace."""

from django.urls import path

from .views import market_orders, market_presale

urlpatterns = [
    path("market/", market_presale.presale_browse, name="presales"),
    path("market/mine/", market_presale.presale_mine, name="presale_mine"),
    path("market/new/", market_presale.presale_create, name="presale_create"),
    path("market/<int:pk>/", market_presale.presale_detail, name="presale"),
    path("market/<int:pk>/order/", market_presale.presale_order, name="presale_order"),
    path("market/<int:pk>/edit/", market_presale.presale_edit, name="presale_edit"),
    path("market/<int:pk>/items/add/", market_presale.presale_item_add, name="presale_item_add"),
    path("market/<int:pk>/items/<int:item_pk>/", market_presale.presale_item_edit, name="presale_item_edit"),
    path("market/<int:pk>/withdraw/", market_presale.presale_withdraw, name="presale_withdraw"),
    path("market/<int:pk>/history/", market_presale.presale_history, name="presale_history"),
    path("orders/", market_orders.order_list, name="orders"),
    path("orders/<int:pk>/", market_orders.order_detail, name="order"),
    path("orders/<int:pk>/<str:step>/", market_orders.order_step, name="order_step"),
]
