from django.shortcuts import render


def advisory_index(request):
    return render(request, "advisories/index.html")


def mission_directory(request):
    return render(request, "advisories/missions.html")
