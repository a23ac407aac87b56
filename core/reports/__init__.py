"""The Desk Pilkada's evaluation report and the referral dossier of a confirmed case."""
