//! The systemd unit and its companion files (written by a helper; placeholder).
