import factory
from django.utils.text import slugify

from courses.models import Role, RoleFamily, RoleLevel, RoleLevelSkill, Skill, SkillLevel


class RoleFamilyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleFamily
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Role family {n}")
    code = factory.LazyAttribute(lambda o: slugify(o.name))


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    name = factory.Sequence(lambda n: f"Role {n}")
    code = factory.LazyAttribute(lambda o: slugify(o.name))
    family = factory.SubFactory(RoleFamilyFactory)


class RoleLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleLevel

    name = factory.Sequence(lambda n: f"Role level {n}")
    code = factory.LazyAttribute(lambda o: slugify(o.name))
    role = factory.SubFactory(RoleFactory)


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill

    name = factory.Sequence(lambda n: f"Skill {n}")
    code = factory.LazyAttribute(lambda o: slugify(o.name))
    description = "What this skill involves."


class RoleLevelSkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleLevelSkill

    role_level = factory.SubFactory(RoleLevelFactory)
    skill = factory.SubFactory(SkillFactory)
    level = SkillLevel.WORKING
