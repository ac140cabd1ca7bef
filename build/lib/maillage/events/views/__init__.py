"""Pages of the events area: public calendar and registration, organisers' back-office."""
