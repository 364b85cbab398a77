"""Fixtures for the call pipeline tests: one espeak-ng call and its first pass, built once per session."""
from __future__ import annotations

import pytest
from .call_audio import BuiltCall, build_call

from coach.config import Settings
from coach.speech.model_install import install_model


@pytest.fixture(scope="session")
def built_call(tmp_path_factory) -> BuiltCall:
    return build_call(tmp_path_factory.mktemp("call"))


@pytest.fixture(scope="session")
def call_settings(tmp_path_factory) -> Settings:
    instance = tmp_path_factory.mktemp("call-instance")
    installed = install_model("tiny.en", instance)
    return Settings(instance_dir=instance, recordings_dir=instance / "recordings", whisper_model=str(installed.ct2_dir),
                    dead_air_seconds=3.0).with_defaults()


@pytest.fixture(scope="session")
def stereo_result(built_call, call_settings):
    from coach.calls import first_pass

    return first_pass(built_call.stereo, settings=call_settings)


@pytest.fixture(scope="session")
def mono_result(built_call, call_settings):
    from coach.calls import first_pass

    return first_pass(built_call.mono, settings=call_settings)
