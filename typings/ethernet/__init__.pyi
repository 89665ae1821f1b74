"""ethernet: `from ethernet import eth` (typings/ethernet/eth.pyi)."""
