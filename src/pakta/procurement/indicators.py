"""What each indicator means, in words for the package page (English msgids, Indonesian
translations in the app's catalogue)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

TITLES = {
    "R003": _("Short submission period"),
    "R018": _("Single bid received"),
    "R024": _("Price close to winning bid"),
    "R025": _("Excessive unsuccessful bids"),
    "R028": _("Identical bid prices"),
    "R030": _("Late bid won"),
    "R035": _("All except winning bid disqualified"),
    "R036": _("Lowest bid disqualified"),
    "R038": _("Excessive disqualified bids"),
    "R048": _("Heterogeneous supplier"),
    "R058": _("Heavily discounted bid"),
    "ID01": _("Long time from announcement to winner"),
    "ID02": _("Contract value suspiciously close to or far below the HPS"),
    "ID03": _("Large contract value"),
    "ID04": _("Very short package title"),
    "ID05": _("Possible package splitting below the direct procurement ceiling"),
    "ID06": _("Repeat winner of the same buyer"),
    "ID07": _("Contract amended soon after signature"),
    "COI": _("Undeclared relationship with a tenderer"),
}

EXPLANATIONS = {
    "R003": _("The submission period was shorter than 15 days, which limits competition."),
    "R018": _("Only one bid was received in an open tender."),
    "R024": _(
        "The second-lowest valid bid is unusually close to the winning bid, as colluding "
        "bidders' cover bids often are."
    ),
    "R025": _(
        "A tenderer who bids very often wins unusually rarely: it may be submitting cover bids."
    ),
    "R028": _("Different tenderers submitted exactly the same price."),
    "R030": _("A bid submitted after the end of the tender period won."),
    "R035": _("Every bid except the winner's was disqualified."),
    "R036": _("The lowest bid was disqualified while the award went to a higher price."),
    "R038": _("An unusually high share of bids is disqualified for this buyer or tenderer."),
    "R048": _("The supplier supplies an unusually wide variety of goods and services."),
    "R058": _("The winning bid is far below the next valid bid (heavily discounted)."),
    "ID01": _(
        "More than 45 days passed between the announcement and the winner (opentender.net PFA)."
    ),
    "ID02": _(
        "The contract value is within 2% below the HPS, above it, or at least 16% below it "
        "(opentender.net PFA)."
    ),
    "ID03": _("The contract is worth more than Rp5 billion (opentender.net PFA)."),
    "ID04": _("The title has fewer than 20 characters and says little about what is bought."),
    "ID05": _(
        "Several direct procurements of the same buyer and category, each just under the "
        "ceiling, add up to more than it (Perpres 16/2018 as amended by Perpres 12/2021)."
    ),
    "ID06": _("The same supplier won at least three and most of this buyer's packages this year."),
    "ID07": _("The contract was amended within 30 days of its signature."),
    "COI": _(
        "An official of this package is related to a tenderer or supplier and did not declare it."
    ),
}


def title(code: str) -> str:
    return str(TITLES.get(code, code))


def explanation(code: str) -> str:
    return str(EXPLANATIONS.get(code, ""))
