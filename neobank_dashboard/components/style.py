"""Style tokens: one place for colours, spacing and the theme."""

import reflex as rx

THEME = rx.theme(appearance="light", accent_color="indigo", gray_color="slate", radius="medium",
                 scaling="100%")

RISK_UP = "var(--red-10)"      # a factor that raises the risk of default
RISK_DOWN = "var(--green-10)"  # a factor that lowers it
RECOMMENDATION_COLOR = {"eligible": "green", "review": "amber", "not_eligible": "red"}
SIDEBAR_WIDTH = "15rem"
CONTENT_MAX_WIDTH = "80rem"
