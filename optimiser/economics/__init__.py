"""The money: annuities and loans, the cooperative's cash flows and lender tests, heat
tariffs and Niet Meer Dan Nu, asset owners' business cases, water accounting and the
cost allocation over the shareholders. Pure functions of their inputs: nothing here
solves a model."""
