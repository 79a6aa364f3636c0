"""Registration: attorneys, the A-Numbers they claim, E-28 appearance records, verification."""
