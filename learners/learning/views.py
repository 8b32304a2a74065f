from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def dashboard(request):
    """The learner's home once signed in."""
    return render(request, "learning/dashboard.html")
