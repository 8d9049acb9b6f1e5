"""Operations: the demo organisation and the commands that start Juru's processes."""
