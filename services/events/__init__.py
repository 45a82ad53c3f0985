"""The event log: every domain event is stored with a monotonic id before anyone is told,
and is delivered by audience (a user, a team, a role) over websockets and Web Push. And the
message bus, through which one package's facts reach another's handlers after commit."""
