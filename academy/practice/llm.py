"""Optional: an OpenAI-compatible chat-completions server (``ACADEMY_LLM_URL``,
``ACADEMY_LLM_MODEL``) for free-form customer lines and for reading agent messages the
rule-and-similarity matcher could not place.

Off by default: without ``ACADEMY_LLM_URL`` nothing here runs and practice works fully
offline. With it, requests ask for temperature 0 and the conversation's seed, so a server
that honours them answers the same conversation the same way. Any failure (unreachable,
slow, malformed answer) is logged and the scripted behaviour is used instead: the LLM can
only add to a conversation, never break it.
"""
from __future__ import annotations

import json
import logging
import re
import urllib.error
import urllib.request
from dataclasses import dataclass

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 8.0
_LANGUAGE_NAMES = {"en": "English", "cs": "Czech", "de": "German", "lt": "Lithuanian", "et": "Estonian"}


class LLMUnavailable(RuntimeError):
    pass


@dataclass(frozen=True)
class LLMClient:
    url: str            # the server's base URL, e.g. http://127.0.0.1:8080/v1
    model: str = "default"
    timeout: float = TIMEOUT_SECONDS

    def complete(self, messages: list[dict], seed: int, max_tokens: int = 200) -> str:
        body = json.dumps({"model": self.model, "messages": messages, "temperature": 0, "seed": seed,
                           "max_tokens": max_tokens}).encode()
        request = urllib.request.Request(self.url.rstrip("/") + "/chat/completions", data=body,
                                         headers={"Content-Type": "application/json"}, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                data = json.loads(response.read().decode("utf-8"))
            return str(data["choices"][0]["message"]["content"]).strip()
        except (urllib.error.URLError, TimeoutError, OSError, ValueError, KeyError, IndexError, TypeError) as error:
            raise LLMUnavailable(f"{self.url}: {error}") from error

    def classify(self, text: str, moves: dict[str, tuple[str, str]], lang: str, seed: int) -> list[tuple[str, float]]:
        """(move, confidence) pairs the model reads in ``text``; ``moves`` maps an id to
        (label, one example). Unknown ids and malformed answers give nothing."""
        catalogue = "\n".join(f"- {move_id}: {label} (e.g. \"{example}\")" for move_id, (label, example) in moves.items())
        messages = [
            {"role": "system", "content": (
                "You label what a help-desk agent's message does. Possible moves:\n" + catalogue +
                '\nAnswer only with JSON like {"moves": [{"id": "greet", "confidence": 0.9}]}; '
                'an empty list when the message does none of them.')},
            {"role": "user", "content": f"Message ({_LANGUAGE_NAMES.get(lang, lang)}): {text}"},
        ]
        try:
            answer = self.complete(messages, seed)
        except LLMUnavailable as error:
            log.warning("LLM classification skipped: %s", error)
            return []
        match = re.search(r"\{.*\}", answer, flags=re.DOTALL)
        try:
            items = json.loads(match.group()).get("moves", []) if match else []
        except ValueError:
            log.warning("LLM classification answer is not JSON: %r", answer[:200])
            return []
        found = []
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and item.get("id") in moves:
                try:
                    confidence = min(1.0, max(0.0, float(item.get("confidence", 0))))
                except (TypeError, ValueError):
                    continue
                found.append((item["id"], round(confidence, 4)))
        return found

    def customer_line(self, scripted: str, persona: str, mood: float, lang: str, agent_said: str, seed: int) -> str:
        """The scripted line said in the customer's own words and mood; the script on failure."""
        messages = [
            {"role": "system", "content": (
                f"You play {persona}, a customer of the telecom company Lumen, talking to its help desk. "
                f"Your mood is {mood:.0f} on a scale from 0 (calm) to 100 (furious). Rephrase the line you are "
                f"given in your own words, in {_LANGUAGE_NAMES.get(lang, lang)}, keeping every fact and number "
                "exactly, adding nothing new, in at most two sentences. Answer with the line only.")},
            {"role": "user", "content": f"The agent said: {agent_said}\nYour line: {scripted}"},
        ]
        try:
            line = self.complete(messages, seed)
        except LLMUnavailable as error:
            log.warning("LLM customer line skipped: %s", error)
            return scripted
        numbers = re.findall(r"\d+", scripted)
        if not line or any(number not in line for number in numbers):
            return scripted   # a line that lost a fact is worse than the script
        return line


def client_from_config(config) -> LLMClient | None:
    url = config.get("LLM_URL")
    return LLMClient(url, config.get("LLM_MODEL") or "default") if url else None
