"""ServeSettings: one definition of each default, validation, and the trip to the worker processes."""
import pytest

from ipner.serve.settings import API_KEY_ENV, DEFAULT_HOST, SETTINGS_ENV, ServeSettings


def test_defaults_listen_on_this_machine_only():
    settings = ServeSettings()
    assert settings.host == DEFAULT_HOST == "127.0.0.1"
    assert settings.api_key is None and settings.cors_origins == ()
    assert settings.max_bytes > 0 and settings.max_docs > 0 and settings.max_chars > 0


def test_settings_reach_the_workers_through_the_environment():
    settings = ServeSettings(model="baseline", port=9000, workers=3, api_key="k", max_bytes=10, max_docs=2, max_chars=5,
                             cors_origins=("http://a.example",))
    assert ServeSettings.from_env({SETTINGS_ENV: settings.to_env()}) == settings
    assert ServeSettings.from_env({}) == ServeSettings()
    assert ServeSettings.from_env({API_KEY_ENV: "from-env"}).api_key == "from-env"
    assert ServeSettings.from_env({SETTINGS_ENV: settings.to_env(), API_KEY_ENV: "other"}).api_key == "k"


@pytest.mark.parametrize("values", [{"workers": 0}, {"max_bytes": 0}, {"max_docs": -1}, {"port": -1}, {"api_key": " "}])
def test_bad_values_are_refused(values):
    with pytest.raises(ValueError):
        ServeSettings(**values)
