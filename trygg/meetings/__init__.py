"""EST meetings: agenda drafted from the picture, attendance, notes, decisions and minutes."""
