"""The public home page: the partnership's convention, its signatories and its coordination."""

from django.shortcuts import render

from maillage.partners.selectors import convention_featured, convention_parties_by_role


def home(request):
    convention = convention_featured()
    signatories, coordination = convention_parties_by_role(convention) if convention else ([], [])
    return render(
        request,
        "home/home.html",
        {"convention": convention, "signatories": signatories, "coordination": coordination},
    )
