from django.apps import AppConfig


class ConversationConfig(AppConfig):
    name = "aftersales.conversation"
    label = "conversation"
