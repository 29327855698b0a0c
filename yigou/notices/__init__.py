"""In-app notices and the outbound message sender (SMS, WeChat…) other apps call through `services.notify`."""
