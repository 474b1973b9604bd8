"""The model-client port the fraud and severity stages score through, and its two adapters.

`InProcessModels` scores in this process (the embedded default); `GatewayClient` asks the model
gateway over HTTP (Kafka deployments, TRIAGE_MODEL_GATEWAY_URL set).
"""

from models.client.port import ModelClient

__all__ = ["ModelClient"]
