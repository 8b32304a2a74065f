import factory

from learners.lrs.models import ForwardingTarget, OutboxBatch


class ForwardingTargetFactory(factory.django.DjangoModelFactory):
    """An enabled target; point `endpoint` at a real (test) LRS before storing statements."""

    class Meta:
        model = ForwardingTarget

    name = factory.Sequence(lambda n: f"Target LRS {n}")
    endpoint = "http://127.0.0.1:9/xapi/"
    username = factory.Sequence(lambda n: f"forwarder-{n}")
    password = factory.Faker("password", length=24)
    enabled = True


class OutboxBatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutboxBatch

    target = factory.SubFactory(ForwardingTargetFactory)
    statement_ids = factory.LazyFunction(lambda: [])
    size = factory.LazyAttribute(lambda o: max(len(o.statement_ids), 1))
