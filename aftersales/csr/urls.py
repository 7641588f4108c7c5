from django.urls import path

from aftersales.csr import staff, views

app_name = "csr"
urlpatterns = [
    path("", views.apply, name="apply"),
    path("find/", views.find, name="find"),
    path("staff/", staff.orders, name="staff"),
    path("staff/<str:number>/", staff.step, name="staff-step"),
    path("<str:number>/", views.order_page, name="order"),
    path("<str:number>/label.pdf", views.order_label, name="label"),
    path("<str:number>/invoice.pdf", views.order_invoice, name="invoice"),
    path("<str:number>/cancel/", views.order_cancel_view, name="cancel"),
]
