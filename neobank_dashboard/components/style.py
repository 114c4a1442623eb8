"""Style tokens: one place for colours, spacing and the theme."""

import reflex as rx

THEME = rx.theme(
    appearance="light", accent_color="indigo", gray_color="slate", radius="medium", scaling="100%"
)

RISK_UP = "var(--red-10)"  # a factor that raises the risk of default
RISK_DOWN = "var(--green-10)"  # a factor that lowers it
RECOMMENDATION_COLOR = {"eligible": "green", "review": "amber", "not_eligible": "red"}
SIDEBAR_WIDTH = "15rem"
CONTENT_MAX_WIDTH = "80rem"
NATIVE_SELECT_STYLE = {
    "width": "100%",
    "min_width": "0",  # a long option must not widen a phone's grid column
    "height": "var(--space-6)",
    "padding": "0 var(--space-2)",
    "border": "1px solid var(--gray-7)",
    "border_radius": "var(--radius-2)",
    "background": "var(--color-surface)",
    "font_size": "var(--font-size-2)",
}

# The keyboard focus ring: #3a4bb5 is 7.4:1 against white (WCAG asks 3:1 of a focus
# indicator). Radix draws its own rings (radios, checkboxes, tabs) in --focus-8: the same.
FOCUS_RING_COLOR = "#3a4bb5"
FOCUS_STYLE = {
    "--focus-8": FOCUS_RING_COLOR,
    "& :focus-visible": {"outline": f"3px solid {FOCUS_RING_COLOR}", "outline_offset": "2px"},
    # The main region takes focus after a navigation, for screen readers; no ring around it.
    "& #main:focus": {"outline": "none"},
}
INVALID_OUTLINE = {"box_shadow": "inset 0 0 0 2px var(--red-9)"}  # a field in error
