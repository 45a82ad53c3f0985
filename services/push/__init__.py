"""Web Push: devices' subscriptions and delivery of events to addressees whose app is closed."""
