"""/reviews: the review queue for supervisors and admins, and the oversight figures."""

from __future__ import annotations

import reflex as rx

from neobank_dashboard.components.badge import badge
from neobank_dashboard.components.forms import field_label
from neobank_dashboard.components.style import NATIVE_SELECT_STYLE
from neobank_dashboard.state.reviews import OUTCOMES, REVIEW_OUTCOMES, ReviewsState
from neobank_dashboard.views.oversight import oversight_section
from neobank_dashboard.views.page import page

T = ReviewsState.t
COLUMNS = (
    "review.id",
    "review.kind.label",
    "review.client",
    "review.decision",
    "review.decided_by",
    "review.decided_at",
    "review.due_on",
    "review.age",
    "review.assignee",
    "review.actions",
)


def kind_link(link) -> rx.Component:
    active = link["active"] != ""
    return rx.link(
        badge(
            rx.cond(link["kind"] == "all", T["review.kind.all"], T["review.kind." + link["kind"]]),
            rx.text(link["count"], weight="bold", as_="span"),
            size="2",
            radius="full",
            variant=rx.cond(active, "solid", "surface"),
        ),
        href=link["href"],
        underline="none",
        aria_current=rx.cond(active, "true", "false"),
        id="kind-" + link["kind"],
    )


def queue_filters() -> rx.Component:
    return rx.hstack(
        rx.foreach(ReviewsState.kind_links, kind_link),
        rx.link(
            badge(
                rx.cond(
                    ReviewsState.overdue_only, rx.icon("square-check", size=12), rx.icon("square", size=12)
                ),
                T["review.overdue_only"],
                size="2",
                radius="full",
                color_scheme="red",
                variant=rx.cond(ReviewsState.overdue_only, "solid", "surface"),
            ),
            href=ReviewsState.overdue_link,
            underline="none",
            aria_current=rx.cond(ReviewsState.overdue_only, "true", "false"),
            id="overdue-only",
        ),
        spacing="2",
        wrap="wrap",
        align="center",
        role="group",
        aria_label=T["review.kind.label"],
    )


def due_cell(item) -> rx.Component:
    """Overdue in words and with an icon, not by colour alone."""
    return rx.hstack(
        rx.text(item["due_on"], weight=rx.cond(item["overdue"] != "", "bold", "regular")),
        rx.cond(
            item["overdue"] != "",
            badge(rx.icon("alarm-clock", size=12), T["review.overdue"], color_scheme="red", variant="solid"),
        ),
        spacing="2",
        align="center",
        wrap="wrap",
    )


def review_row(item) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.text("#", item["id"])),
        rx.table.cell(badge(T["review.kind." + item["kind"]], variant="soft")),
        rx.table.cell(
            rx.link(
                rx.code(item["client_id"].to(str)[:8], variant="ghost"),
                href="/clients/" + item["client_id"],
                aria_label=T["clients.open"] + " " + item["client_id"],
            )
        ),
        rx.table.cell(T["decision_status." + item["decision"]]),
        rx.table.cell(item["decided_by"]),
        rx.table.cell(item["decided_at"]),
        rx.table.cell(due_cell(item)),
        rx.table.cell(item["age"]),
        rx.table.cell(
            rx.cond(
                item["assignee"] != "", item["assignee"], rx.text(T["review.unassigned"], color_scheme="gray")
            )
        ),
        rx.table.cell(
            rx.hstack(
                rx.cond(
                    item["assignee"] == "",
                    rx.button(
                        T["review.claim"],
                        size="1",
                        variant="soft",
                        on_click=ReviewsState.claim(item["id"]),
                        id="claim-" + item["id"],
                    ),
                ),
                rx.button(
                    T["review.resolve"],
                    size="1",
                    on_click=ReviewsState.open_resolution(item["id"]),
                    id="resolve-" + item["id"],
                ),
                spacing="2",
            )
        ),
        background=rx.cond(item["overdue"] != "", "var(--red-2)", "transparent"),
        data_review=item["id"],
    )


def field_error(name: str) -> rx.Component:
    return rx.cond(
        ReviewsState.error_messages.contains(name),
        rx.text(
            ReviewsState.error_messages[name], color_scheme="red", size="2", role="alert", id=f"error-{name}"
        ),
    )


def item_under_review() -> rx.Component:
    """A contest's statement and the scores before and after its corrections."""
    item = ReviewsState.resolving_item
    return rx.vstack(
        rx.text(T["review.score_before"], " : ", item["score_before"], size="2"),
        rx.cond(
            item["score_after"] != "",
            rx.text(T["review.score_after"], " : ", item["score_after"], size="2", weight="bold"),
        ),
        rx.cond(item["statement"] != "", rx.blockquote(item["statement"], size="2", id="review-statement")),
        spacing="1",
        width="100%",
    )


def resolution_form() -> rx.Component:
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading(T["review.resolve"], " #", ReviewsState.resolving, size="3", as_="h2"),
                item_under_review(),
                rx.radio_group.root(
                    rx.hstack(
                        *[
                            rx.el.label(
                                rx.hstack(
                                    rx.radio_group.item(value=o, id=f"resolution-{o}"),
                                    rx.text(T[f"review.outcome.{o}"], size="2"),
                                    spacing="1",
                                    align="center",
                                )
                            )
                            for o in REVIEW_OUTCOMES
                        ],
                        spacing="4",
                    ),
                    value=ReviewsState.resolution_outcome,
                    on_change=ReviewsState.set_resolution_outcome,
                    aria_label=T["review.resolve"],
                ),
                field_error("outcome"),
                rx.cond(
                    ReviewsState.resolution_outcome == "changed",
                    rx.vstack(
                        field_label(T["review.new_outcome"], "new-outcome"),
                        rx.el.select(
                            rx.el.option("—", value=""),
                            *[rx.el.option(T[f"decision.{o}"], value=o) for o in OUTCOMES],
                            id="new-outcome",
                            name="new_outcome",
                            value=ReviewsState.new_outcome,
                            on_change=ReviewsState.set_new_outcome,
                            style=NATIVE_SELECT_STYLE | {"width": "16rem"},
                        ),
                        field_error("new_outcome"),
                        spacing="1",
                    ),
                ),
                field_label(T["review.justification"], "resolution-justification"),
                rx.text_area(
                    id="resolution-justification",
                    name="justification",
                    key=ReviewsState.form_key,
                    placeholder=T["decision.no_names"],
                    rows="3",
                    width="100%",
                    max_length=2000,
                    aria_invalid=rx.cond(
                        ReviewsState.error_messages.contains("justification"), "true", "false"
                    ),
                ),
                field_error("justification"),
                field_error("score"),
                rx.hstack(
                    rx.button(T["review.resolve"], type="submit", id="resolution-submit"),
                    rx.button(
                        T["review.cancel"],
                        type="button",
                        variant="soft",
                        color_scheme="gray",
                        on_click=ReviewsState.cancel_resolution,
                    ),
                    spacing="3",
                ),
                spacing="3",
                width="100%",
            ),
            on_submit=ReviewsState.submit_resolution,
            reset_on_submit=False,
        ),
        width="100%",
        id="resolution",
    )


def queue_table() -> rx.Component:
    return rx.cond(
        ReviewsState.items.length() > 0,
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(T[key]) for key in COLUMNS])),
            rx.table.body(rx.foreach(ReviewsState.items, review_row)),
            variant="surface",
            size="1",
            width="100%",
            id="review-queue",
        ),
        rx.callout(T["reviews.empty"], icon="inbox", color_scheme="gray", id="reviews-empty"),
    )


def notices() -> rx.Component:
    return rx.fragment(
        rx.cond(
            ReviewsState.error_messages.contains("item"),
            rx.callout(
                ReviewsState.error_messages["item"],
                icon="shield-alert",
                color_scheme="red",
                role="alert",
                id="review-error",
            ),
        ),
        rx.cond(
            ReviewsState.notice != "",
            rx.callout(
                T[ReviewsState.notice], icon="check", color_scheme="green", role="status", id="review-notice"
            ),
        ),
    )


@page("/reviews", "reviews.title", on_load=ReviewsState.load)
def reviews_page() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.heading(T["reviews.title"], size="6", as_="h1"),
            badge(ReviewsState.count, size="2", id="reviews-count"),
            align="center",
            spacing="3",
        ),
        rx.text(T["reviews.intro"], size="2", color_scheme="gray"),
        queue_filters(),
        notices(),
        rx.cond(ReviewsState.loaded, queue_table(), rx.center(rx.spinner(size="3"), padding="2rem")),
        rx.cond(ReviewsState.resolving != "", resolution_form()),
        oversight_section(),
        spacing="4",
        width="100%",
    )
