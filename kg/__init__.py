"""policy-kg: knowledge graphs of Chinese development-policy documents."""
