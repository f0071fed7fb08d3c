"""Model backends registered by the plugin (``--model vllm_n``).

Nothing is imported here: the start-up hook registers each backend by its
``module:Class`` path, so vLLM loads only when a run asks for it.
"""
