"""The ipywidgets of the lessons. Each widget is thin: its logic is a pure function tested in tests/, and the lesson
prints that function's result in a neighbouring cell so that nbval checks it. One module per lesson topic.
"""
