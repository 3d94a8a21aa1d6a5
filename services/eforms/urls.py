"""Online applications under /antraege/."""

app_name = "eforms"

urlpatterns: list = []
