app_name = "lrs"
urlpatterns: list = []
