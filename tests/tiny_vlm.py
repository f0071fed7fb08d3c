"""A tiny, randomly initialised LLaVA (a CLIP vision tower and a Llama text model, one
layer each) with its processor, built offline: a real vision-language model for lm-eval's
``hf-multimodal`` backend, which loads it with AutoModelForImageTextToText and
AutoProcessor. Random weights answer at random; what it shows is the plumbing.
"""

from __future__ import annotations

from pathlib import Path

# Not lm-eval's "<image>" placeholder: a prompt that reaches the model with this token
# shows that the placeholder was turned into the model's own image token.
IMAGE_TOKEN = "<|image|>"
SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", IMAGE_TOKEN, "<pad>"]
# ChatML that renders lm-eval's {"type": "image"} content parts as the image token.
CHAT_TEMPLATE = (
    "{% for message in messages %}<|im_start|>{{ message['role'] }}\n"
    "{% if message['content'] is string %}{{ message['content'] }}"
    "{% else %}{% for part in message['content'] %}"
    "{% if part['type'] == 'image' %}<|image|>{% elif part['type'] == 'text' %}{{ part['text'] }}{% endif %}"
    "{% endfor %}{% endif %}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
# The tokenizer's vocabulary: prompt and answer words.
CORPUS = [
    "How many red bars are in the chart? The answer is 3. So the answer is \\boxed{5}.",
    "Please reason step by step, and put your final answer within \\boxed{}.",
    "Choices: (A) 2 (B) 6 (C) 7 (D) 9. Answer with the option's letter from the given choices.",
    "The answer is a Python list, e.g. [1, 2, 3]. Final answer: [4, 8]",
    "The answer is a floating-point number with 2 decimal places. 0.75 1.25 0.5",
    "0 1 2 3 4 5 6 7 8 9 10 11 12 Answer: B. The correct option is C.",
]
IMAGE_SIZE, PATCH_SIZE = 28, 14  # 2 x 2 patches: 4 image tokens per image


def build_tokenizer():
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    # Whole words and single digits, ~80 tokens: a random model's samples often hold
    # numbers, so the grader has answers to read.
    tok = Tokenizer(models.WordLevel(unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [pre_tokenizers.Whitespace(), pre_tokenizers.Digits(individual_digits=True)])
    trainer = trainers.WordLevelTrainer(special_tokens=["[UNK]", *SPECIAL_TOKENS], show_progress=False)
    tok.train_from_iterator(CORPUS, trainer=trainer)
    return PreTrainedTokenizerFast(
        tokenizer_object=tok, unk_token="[UNK]", eos_token="<|im_end|>", pad_token="<pad>",
        additional_special_tokens=["<|im_start|>", "<|endoftext|>", IMAGE_TOKEN],
        model_max_length=2048, padding_side="left",
    )


def build_tiny_llava(out: Path) -> None:
    """Save the model and its processor (tokenizer, image processor, chat template) to ``out``."""
    import torch
    from transformers import (CLIPVisionConfig, LlamaConfig, LlavaConfig, LlavaForConditionalGeneration,
                              LlavaProcessor)
    try:  # transformers 5: the PIL backend (the default one needs torchvision)
        from transformers.models.clip.image_processing_pil_clip import CLIPImageProcessorPil as ImageProcessor
    except ImportError:  # transformers 4
        from transformers import CLIPImageProcessor as ImageProcessor

    torch.manual_seed(0)
    tokenizer = build_tokenizer()
    text = LlamaConfig(vocab_size=len(tokenizer), hidden_size=32, intermediate_size=64, num_hidden_layers=1,
                       num_attention_heads=2, num_key_value_heads=2, max_position_embeddings=2048,
                       pad_token_id=tokenizer.pad_token_id, eos_token_id=tokenizer.eos_token_id, bos_token_id=None)
    vision = CLIPVisionConfig(hidden_size=32, intermediate_size=64, num_hidden_layers=1, num_attention_heads=2,
                              image_size=IMAGE_SIZE, patch_size=PATCH_SIZE, projection_dim=32)
    config = LlavaConfig(vision_config=vision, text_config=text,
                         image_token_id=tokenizer.convert_tokens_to_ids(IMAGE_TOKEN),
                         vision_feature_select_strategy="default", vision_feature_layer=-1,
                         pad_token_id=tokenizer.pad_token_id, eos_token_id=tokenizer.eos_token_id)
    model = LlavaForConditionalGeneration(config).eval()
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    model.generation_config.eos_token_id = tokenizer.eos_token_id
    image_processor = ImageProcessor(size={"shortest_edge": IMAGE_SIZE},
                                     crop_size={"height": IMAGE_SIZE, "width": IMAGE_SIZE})
    processor = LlavaProcessor(image_processor=image_processor, tokenizer=tokenizer, patch_size=PATCH_SIZE,
                               vision_feature_select_strategy="default", num_additional_image_tokens=1,
                               chat_template=CHAT_TEMPLATE, image_token=IMAGE_TOKEN)
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out)
    processor.save_pretrained(out)
