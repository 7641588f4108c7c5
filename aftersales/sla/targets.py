"""The targets' names as people read them, in English and Chinese."""

from aftersales.notifications.compose import Words

TARGET_WORDS = {
    "acknowledge": Words("acknowledgement", "确认收到"),
    "first-answer": Words("first answer", "首次答复"),
    "resolution": Words("resolution", "解决"),
}
