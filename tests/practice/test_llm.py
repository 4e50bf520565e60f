"""The optional LLM adapter, against a small local stand-in for an OpenAI-compatible server."""
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from academy.practice import scenario_files
from academy.practice.engine import Engine
from academy.practice.llm import LLMClient, LLMUnavailable, client_from_config


class StandIn(BaseHTTPRequestHandler):
    """Answers /v1/chat/completions: classification requests get moves, others a reworded
    line; records every request body."""
    requests: list = []
    reply_moves = [{"id": "empathize", "confidence": 0.8}]

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append((self.path, body))
        system = body["messages"][0]["content"]
        if "You label" in system:
            content = "Sure: " + json.dumps({"moves": type(self).reply_moves})
        else:
            content = "Honestly, my router still does not work, can you fix it?"
        payload = json.dumps({"choices": [{"message": {"role": "assistant", "content": content}}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    StandIn.requests = []
    httpd = HTTPServer(("127.0.0.1", 0), StandIn)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}/v1"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def scenario(content):
    parsed, _library, problems = scenario_files.read_all(content)
    assert problems == []
    return parsed[0].scenario


def test_requests_ask_for_temperature_zero_and_the_seed(server):
    client = LLMClient(server, "tiny")
    assert client.classify("whatever", {"empathize": ("Empathy", "I understand.")}, "en", seed=42) == [
        ("empathize", 0.8)]
    path, body = StandIn.requests[0]
    assert path == "/v1/chat/completions"
    assert (body["model"], body["temperature"], body["seed"]) == ("tiny", 0, 42)


def test_unknown_moves_and_bad_confidences_are_dropped(server):
    StandIn.reply_moves = [{"id": "hack", "confidence": 1}, {"id": "empathize", "confidence": "lots"},
                           {"id": "empathize", "confidence": 3}]
    try:
        client = LLMClient(server)
        assert client.classify("x", {"empathize": ("Empathy", "I understand.")}, "en", 1) == [("empathize", 1.0)]
    finally:
        StandIn.reply_moves = [{"id": "empathize", "confidence": 0.8}]


def test_the_engine_asks_the_llm_only_for_messages_the_matcher_cannot_place(server, scenario):
    engine = Engine(scenario, llm=LLMClient(server))
    conv = engine.start(seed=5)
    engine.agent_says(conv, "Good morning, Lumen customer care, Petra speaking.", 1)
    assert not any("You label" in body["messages"][0]["content"] for _path, body in StandIn.requests)
    said = engine.agent_says(conv, "Oh dear, what a terrible evening you must be having.", 2)
    agent_turn = conv.turns[-2]
    assert agent_turn.moves == [["empathize", 0.8]] and agent_turn.read_by == "llm"
    assert said == ["Honestly, my router still does not work, can you fix it?"]
    assert conv.mood < 60


def test_a_reworded_line_that_loses_a_number_keeps_the_script(server):
    client = LLMClient(server)
    assert client.customer_line("It's C-1.", "Eva", 50, "en", "Your number?", 1) == "It's C-1."


def test_an_unreachable_server_falls_back_to_the_script(scenario):
    client = LLMClient("http://127.0.0.1:9/v1", timeout=0.5)
    with pytest.raises(LLMUnavailable):
        client.complete([{"role": "user", "content": "hi"}], seed=1)
    engine = Engine(scenario, llm=client)
    conv = engine.start(seed=5)
    assert engine.agent_says(conv, "Bananas are yellow.", 1) == ["Can you help or not?"]
    assert conv.unknown == ["Bananas are yellow."]


def test_no_url_no_client():
    assert client_from_config({"LLM_URL": None}) is None
    assert client_from_config({"LLM_URL": "http://x/v1", "LLM_MODEL": "m"}) == LLMClient("http://x/v1", "m")
