print("chatctl")
